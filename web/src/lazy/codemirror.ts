// CodeMirror 6 with TypeScript highlighting, loaded only when a snippet comes into view (about 160 KiB gzip).
// Mod-Enter asks to run, Escape leaves the editor (so Tab indenting traps no one), and the theme follows
// the system's colour scheme while the page is open.
import { basicSetup } from 'codemirror';
import { EditorView, keymap } from '@codemirror/view';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { indentWithTab } from '@codemirror/commands';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { javascript } from '@codemirror/lang-javascript';
import { tags as t } from '@lezer/highlight';

export interface EditorHooks {
  parent: HTMLElement;
  doc: string;
  label: string;
  onChange(code: string): void;
  onRun(): void;
  onLeave(): void;
}

export interface EditorHandle {
  setDoc(code: string): void;
  focus(): void;
  destroy(): void;
}

const darkTheme = EditorView.theme(
  {
    '&': { color: '#d8dee9', backgroundColor: '#1b1f27' },
    '.cm-content': { caretColor: '#e5e9f0' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#e5e9f0' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
      backgroundColor: '#3b4252',
    },
    '.cm-gutters': { backgroundColor: '#1b1f27', color: '#7b8496', border: 'none' },
    '.cm-activeLine': { backgroundColor: '#ffffff0a' },
    '.cm-activeLineGutter': { backgroundColor: '#ffffff0f' },
    '.cm-tooltip': { backgroundColor: '#2e3440', color: '#d8dee9' },
  },
  { dark: true },
);

const darkHighlight = HighlightStyle.define([
  { tag: t.keyword, color: '#c792ea' },
  { tag: [t.string, t.special(t.string)], color: '#a3d98b' },
  { tag: [t.number, t.bool, t.null], color: '#f5a97f' },
  { tag: t.comment, color: '#8a93a6', fontStyle: 'italic' },
  { tag: [t.typeName, t.className], color: '#ffcb6b' },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: '#82aaff' },
  { tag: t.propertyName, color: '#89ddff' },
  { tag: t.operator, color: '#89ddff' },
]);

const lightTheme = EditorView.theme({
  '&': { backgroundColor: '#fbfbfc' },
  '.cm-gutters': { backgroundColor: '#f1f2f4', border: 'none' },
});

const dark = matchMedia('(prefers-color-scheme: dark)');
const themeFor = (isDark: boolean) => (isDark ? [darkTheme, syntaxHighlighting(darkHighlight)] : lightTheme);

export function createEditor(hooks: EditorHooks): EditorHandle {
  const theme = new Compartment();
  const view = new EditorView({
    parent: hooks.parent,
    state: EditorState.create({
      doc: hooks.doc,
      extensions: [
        // Mod-Enter would insert a line (defaultKeymap); Escape goes last, so an open completion list, the search
        // panel or a multiple selection takes it first and only a plain Escape leaves the editor
        Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (hooks.onRun(), true) }])),
        Prec.lowest(keymap.of([{ key: 'Escape', run: () => (hooks.onLeave(), true) }])),
        basicSetup,
        keymap.of([indentWithTab]),
        javascript({ typescript: true }),
        theme.of(themeFor(dark.matches)),
        EditorView.contentAttributes.of({ 'aria-label': hooks.label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) hooks.onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  const onScheme = () => view.dispatch({ effects: theme.reconfigure(themeFor(dark.matches)) });
  dark.addEventListener('change', onScheme);
  return {
    setDoc(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    focus: () => view.focus(),
    destroy() {
      dark.removeEventListener('change', onScheme);
      view.destroy();
    },
  };
}
