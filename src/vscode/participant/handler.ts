// `@arc` in the Chat view: runs the engine with the mode its slash command names, streaming the answer
// as Markdown and the router's decision, threads and tool calls as progress lines.
import * as vscode from 'vscode';
import { runOnSurface } from '../runOnSurface';
import type { Services } from '../services';
import { chatRequestToSpec, type ChatRequestLike, type ChatTurnLike } from './mapping';

const MAX_REFERENCE_CHARS = 50_000;

async function readReferences(refs: readonly vscode.ChatPromptReference[]): Promise<NonNullable<ChatRequestLike['references']>> {
  const out: NonNullable<ChatRequestLike['references']> = [];
  for (const ref of refs.slice(0, 10)) {
    try {
      const v = ref.value;
      if (typeof v === 'string') out.push({ name: ref.id, text: v.slice(0, MAX_REFERENCE_CHARS) });
      else if (v instanceof vscode.Uri) {
        const doc = await vscode.workspace.openTextDocument(v);
        out.push({ name: vscode.workspace.asRelativePath(v), text: doc.getText().slice(0, MAX_REFERENCE_CHARS), language: doc.languageId });
      } else if (v instanceof vscode.Location) {
        const doc = await vscode.workspace.openTextDocument(v.uri);
        out.push({ name: `${vscode.workspace.asRelativePath(v.uri)}:${v.range.start.line + 1}-${v.range.end.line + 1}`, text: doc.getText(v.range).slice(0, MAX_REFERENCE_CHARS), language: doc.languageId });
      }
    } catch {
      // an unreadable reference is left out
    }
  }
  return out;
}

function historyOf(context: vscode.ChatContext): ChatTurnLike[] {
  return context.history.map((turn): ChatTurnLike => {
    if (turn instanceof vscode.ChatRequestTurn) return { kind: 'request', prompt: turn.prompt, ...(turn.command ? { command: turn.command } : {}) };
    const text = (turn as vscode.ChatResponseTurn).response
      .map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : ''))
      .join('');
    return { kind: 'response', text };
  });
}

export async function handleChat(services: Services, request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  const spec = chatRequestToSpec({ prompt: request.prompt, command: request.command, references: await readReferences(request.references) }, historyOf(context));
  if (!spec.query) {
    stream.markdown('Ask a question after `@arc` (or `/instant`, `/reason`, `/agent`).');
    return {};
  }
  const controller = new AbortController();
  const sub = token.onCancellationRequested(() => controller.abort());
  let wrote = false;
  let simulated = false;
  const outcome = await runOnSurface(services, spec, {
    controller,
    quiet: true,
    onStart: (run) => {
      simulated = run.simulated;
    },
    onEvent: (event) => {
      switch (event.type) {
        case 'run.routed':
          stream.progress(`${event.data.mode} mode (${Math.round(event.data.confidence * 100)}%): ${event.data.reason}`);
          break;
        case 'thread.started':
          if (event.parentId) stream.progress(`thread: ${event.data.goal.replace(/\s*\[part:[^\]]*\]/g, '').slice(0, 100)}`);
          break;
        case 'tool.called':
          stream.progress(`tool: ${String(event.data.name ?? 'tool')}`);
          break;
        case 'thread.delta':
          if (event.threadId === 'root' && event.data.text) {
            stream.markdown(event.data.text);
            wrote = true;
          }
          break;
        case 'run.finished':
          if (!wrote) stream.markdown(event.data.answer);
          break;
        default:
          break;
      }
    },
  }).finally(() => sub.dispose());
  if (outcome.status === 'not-run') {
    stream.markdown('ARC has no model yet. Open the ARC sidebar or run **ARC: Select Model**.');
    stream.button({ command: 'arc.selectModel', title: 'Select Model' });
    return { errorDetails: { message: outcome.error ?? 'no model configured' } };
  }
  if (simulated) stream.markdown('\n\n_(simulated model: ARC\'s simulator, not a language model)_');
  const runId = outcome.runId;
  return outcome.status === 'failed' ? { errorDetails: { message: outcome.error ?? 'The run failed.' }, metadata: { runId } } : { metadata: { runId, mode: outcome.mode } };
}
