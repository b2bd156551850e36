import { connectionsSdl } from './connections.js';
import { entitiesSdl } from './entities.js';
import { filtersSdl } from './filters.js';
import { issuesSdl } from './issues.js';
import { rootSdl } from './root.js';

/** The whole SDL of the stand-in (a strict subset of Linear's published schema). */
export const linearSandboxSdl = [entitiesSdl, issuesSdl, connectionsSdl, filtersSdl, rootSdl].join('\n');
