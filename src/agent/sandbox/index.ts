// The OS sandbox for agent commands (DESIGN §5): Linux bubblewrap, macOS sandbox-exec.
export * from './bubblewrap';
export * from './detect';
export * from './environment';
export * from './seatbelt';
export * from './types';
