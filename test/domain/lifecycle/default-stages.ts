import path from 'node:path';
import { readModelSource } from '../../../middleware/src/org/force-app/index.js';
import type { LifecycleStage } from '../../../middleware/src/domain/lifecycle/types.js';

/** The shipped default model's stages, read from the force-app metadata. */
export const DEFAULT_STAGES: LifecycleStage[] = (
  await readModelSource(path.join(process.cwd(), 'force-app'))
).stages.filter((stage) => stage.model === 'Default');
