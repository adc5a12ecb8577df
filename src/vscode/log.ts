// The "ARC" log channel. Every message is redacted against the keys ARC knows before it is written.
import * as vscode from 'vscode';
import { redact } from '../core/log/redact';

export class ArcLog implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('ARC', { log: true });
  private readonly secrets = new Set<string>();

  knowSecret(secret: string | undefined): void {
    if (secret) this.secrets.add(secret);
  }

  info(message: string): void {
    this.channel.info(redact(message, this.secrets));
  }

  warn(message: string): void {
    this.channel.warn(redact(message, this.secrets));
  }

  error(message: string): void {
    this.channel.error(redact(message, this.secrets));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
