// Vite's `?inline` imports give a stylesheet as text (used to style xterm inside a shadow root).
declare module '*.css?inline' {
  const css: string;
  export default css;
}
