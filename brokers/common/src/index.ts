export * from './broker';
export * from './clock';
export * from './events';
