// German, written independently of the parallel set.
export const lang = 'de';
export const entries = [
  ['IA', 'c', 'kurze Frage: ist ein Python-Tupel hashbar, wenn eine Liste drin ist?'],
  ['IA', 's', 'wie lautet der Befehl, um alle gestoppten Docker-Container zu löschen'],
  ['IE', 'i L9 ts', 'mach die Funktion async und warte auf den fetch'],
  ['IE', 'i L14 java', 'ersetze die String-Verkettung durch String.format'],
  ['RA', 's', `Warum gibt das hier 3, 3, 3 aus und nicht 0, 1, 2?

\`\`\`js
for (var i = 0; i < 3; i++) setTimeout(() => console.log(i));
\`\`\``],
  ['RA', 's', 'Wir überlegen, ob wir Event Sourcing für das Bestellsystem nehmen. Was sind die Vor- und Nachteile bei unserem Volumen von 500 Bestellungen am Tag?'],
  ['RE', 'i L18 py', 'die Funktion stürzt bei einer leeren Liste ab, bitte korrigieren und Randfälle abdecken'],
  ['RE', 'i L25 ts', 'schreib das so um, dass die Retries exponentielles Backoff mit Jitter verwenden'],
  ['AA', 's', 'Ich bin neu im Team – wie ist das Repo aufgebaut und wo liegt die Geschäftslogik?'],
  ['AA', 'p', `CI schlägt fehl mit

Error: Cannot find module '@app/shared/logger'

was ist an unserem Setup falsch?`],
  ['AE', 's', 'stell das ganze Projekt von moment auf date-fns um'],
  ['AE', 'c', 'leg eine GitHub-Actions-Pipeline an, die bei jedem PR Lint und Tests laufen lässt'],
  ['AE', 'i L1 ts', 'diese Funktion ist veraltet, ersetze alle Verwendungen durch formatDate'],
];
