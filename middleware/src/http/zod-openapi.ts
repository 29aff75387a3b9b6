import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Adds `.openapi()` to zod schemas; every schema module imports `z` from here.
extendZodWithOpenApi(z);

export { z };
