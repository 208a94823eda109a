import { newRouter } from '../http';

export const seedRoutes = newRouter();
