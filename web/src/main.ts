// Entry point: registers the root element; everything heavy (editor, terminal) loads later, on demand.
import './elements/mb-app';
