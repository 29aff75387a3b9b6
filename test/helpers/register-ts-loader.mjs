/** Registers `ts-loader.mjs`; pass this file to `node --import`. */
import { register } from 'node:module';

register('./ts-loader.mjs', import.meta.url);
