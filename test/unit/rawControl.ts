// What no terminal output and no approval display may contain raw: anything a terminal would obey
// (C0 except newline and tab, DEL, C1) and the characters that hide or reorder text.
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]|\udb40[\udc00-\udc7f]/;
