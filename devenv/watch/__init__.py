"""Watch mode: file events, ignore rules, debounce, and the action each change calls for."""
