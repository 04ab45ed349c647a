// Vite's `?raw` imports (a file's text), used by tests that check a static file against the app.
declare module '*?raw' {
  const text: string;
  export default text;
}
