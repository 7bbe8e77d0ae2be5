// xterm.js with the fit addon, loaded only when a snippet comes into view (about 80 KiB gzip). Output only:
// stdin is off and the helper textarea is out of the tab order, so the terminal never holds keyboard focus.
// Its stylesheet comes as text because the terminal lives in a shadow root, where page CSS does not reach.
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import xtermCss from '@xterm/xterm/css/xterm.css?inline';

export interface TerminalHandle {
  write(data: string): void;
  clear(): void;
  fit(): void;
  destroy(): void;
}

const light: ITheme = {
  background: '#f7f7f9',
  foreground: '#1f2328',
  cursor: '#f7f7f9',
  selectionBackground: '#b6d4fe',
  red: '#c0392b',
  yellow: '#8a6d00',
  green: '#1e7d32',
  blue: '#1f5fbf',
  brightBlack: '#6e7781',
};
const darkTheme: ITheme = {
  background: '#14171d',
  foreground: '#d8dee9',
  cursor: '#14171d',
  selectionBackground: '#3b4252',
  red: '#ff7b72',
  yellow: '#e3b341',
  brightBlack: '#8b949e',
};
const dark = matchMedia('(prefers-color-scheme: dark)');

export const terminalStyles = xtermCss;

export function createTerminal(parent: HTMLElement, rows: number): TerminalHandle {
  const term = new Terminal({
    convertEol: true,
    disableStdin: true,
    cursorBlink: false,
    cursorInactiveStyle: 'none',
    rows,
    scrollback: 5000,
    fontSize: 13,
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
    theme: dark.matches ? darkTheme : light,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(parent);
  if (term.textarea) term.textarea.tabIndex = -1;
  const onScheme = () => (term.options.theme = dark.matches ? darkTheme : light);
  dark.addEventListener('change', onScheme);
  const resize = new ResizeObserver(() => fitKeepingRows(fit, term, rows));
  resize.observe(parent);
  return {
    write: (data) => term.write(data),
    clear: () => term.reset(),
    fit: () => fitKeepingRows(fit, term, rows),
    destroy() {
      resize.disconnect();
      dark.removeEventListener('change', onScheme);
      term.dispose();
    },
  };
}

/** Fit the width to the page, keep the height we asked for (the parent has no fixed height). */
function fitKeepingRows(fit: FitAddon, term: Terminal, rows: number): void {
  const dims = fit.proposeDimensions();
  if (dims && dims.cols > 0 && Number.isFinite(dims.cols)) term.resize(dims.cols, rows);
}
