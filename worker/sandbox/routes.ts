import { newRouter } from '../http';

export const sandboxRoutes = newRouter();
