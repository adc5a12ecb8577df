// Imported first: zod would probe `new Function` to speed up parsing, which the webview's CSP (rightly)
// forbids and reports. Schemas are built when their modules load, so this must run before them.
import { config } from 'zod';

config({ jitless: true });
