// Run from source (tsx, vitest), the render worker is TypeScript: register tsx in this thread
// first. The production build bundles render-worker.ts to plain JavaScript instead.
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');
