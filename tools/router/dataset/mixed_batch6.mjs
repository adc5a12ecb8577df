// Sixth batch: inline chat at the cursor with nothing selected. "This function" is the one under
// the cursor, which inline chat hands over with the request, so these are not agentic.
export const lang = 'multi';
export const entries = [
  ['IE', 'i - ts', 'add a docstring to this function', 'en-b6-1'],
  ['IE', 'i - py', 'fix this function, the name is misspelled', 'en-b6-2'],
  ['RE', 'i - go', 'this function leaks a goroutine when the context is cancelled, fix it', 'en-b6-3'],
  ['IA', 'i - ts', 'what does this function return?', 'en-b6-4'],
  ['IE', 'i - ts', 'füge dieser Funktion einen Kommentar hinzu', 'de-b6-1'],
  ['IE', 'i - py', 'ajoute une docstring à cette fonction', 'fr-b6-1'],
  ['IE', 'i - js', 'corrige esta función, falta el return', 'es-b6-1'],
  ['IE', 'i - ts', 'この関数を修正してください。return が抜けています', 'ja-b6-1'],
  ['IE', 'i - py', '给这个函数加上注释', 'zh-b6-1'],
  ['IE', 'i - go', 'добавь в эту функцию обработку ошибок', 'ru-b6-1'],
];
