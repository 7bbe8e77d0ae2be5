// The shared schemas of every boundary: websocket messages, content, broker host IPC, introspection, results.
export * from './common';
export * from './content';
export * from './messages';
export * from './inspect';
export * from './broker-host';
export * from './expect';
export * from './exercise';
export * from './control';
