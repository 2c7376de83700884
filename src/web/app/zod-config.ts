import { z } from 'zod';

// Zod compiles fast parsers with `new Function`, probing for it on first use; the CSP forbids
// eval (script-src 'self'), so the probe is reported as a violation on every page. Parse without it.
z.config({ jitless: true });
