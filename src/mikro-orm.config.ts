import 'reflect-metadata';
import { loadConfig } from './config';
import { ormOptions } from './db/orm';

/** Read by the MikroORM CLI (`npm run db:migration:create`, `npx mikro-orm …`). */
export default ormOptions(loadConfig());
