// The first thing a person meets: every command the VSIX contributes is in the command palette under
// its "Category: Title", and installing the extension raised no error notification. Generic over the
// manifest, so it holds for any VSIX the driver is given.

/**
 * Commands a person can find with F1 in a fresh window: those the manifest does not hide with
 * `when: "false"`, nor only offer with a selection (`editorHasSelection`: this window has none; the
 * sidebar spec runs Explain Selection from the palette with one), nor only in a state ARC sets a
 * context key for (`arc.running`, `arc.inline.running`, `arc.inlineDiff.pending|streaming`: nothing
 * runs and no proposal is open in a fresh window).
 */
function paletteTitles(manifest) {
  const hidden = new Set(
    (manifest.contributes?.menus?.commandPalette ?? [])
      .filter((m) => m.when === 'false' || /\beditorHasSelection\b|\barc\.[\w.]+/.test(m.when ?? ''))
      .map((m) => m.command),
  );
  return (manifest.contributes?.commands ?? [])
    .filter((c) => !hidden.has(c.command))
    .map((c) => (c.category ? `${c.category}: ${c.title}` : c.title));
}

export default {
  'contributed commands are in the palette': async (page, ctx) => {
    const titles = paletteTitles(ctx.manifest);
    if (!titles.length) ctx.skip(`${ctx.extensionId} contributes no command to the palette`);
    const missing = [];
    for (const title of titles) {
      const listed = await ctx.quickInputItems(title);
      if (!listed.includes(title)) missing.push({ title, listed });
    }
    await page.keyboard.press('Escape');
    if (missing.length) throw new Error(`not in the palette: ${JSON.stringify(missing, null, 2)}`);
    ctx.log(`${titles.length} command(s) listed`);
  },

  'no error notification at startup': async (page, ctx) => {
    const errors = (await ctx.notifications()).filter((n) => n.severity === 'error');
    if (errors.length) throw new Error(`error notifications: ${JSON.stringify(errors)}`);
  },
};
