// The sidebar's HTML: a strict Content-Security-Policy (DESIGN §5, §7) — no remote content, scripts
// only with this load's nonce, styles and fonts only from the extension — and the browser bundle.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function sidebarHtml(webview: vscode.Webview, extensionUri: vscode.Uri, joinPath: (base: vscode.Uri, ...p: string[]) => vscode.Uri): string {
  const n = nonce();
  const script = webview.asWebviewUri(joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(joinPath(extensionUri, 'media', 'sidebar.css'));
  const csp = [
    "default-src 'none'",
    // The toolkit (FAST) probes for :focus-visible with a <style> carrying the csp-nonce meta's nonce.
    `style-src ${webview.cspSource} 'nonce-${n}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${n}'`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${n}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>ARC conversation</title>
</head>
<body>
<main id="arc-root" aria-live="off"><p class="arc-loading">Loading ARC…</p></main>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
}
