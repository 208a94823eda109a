import { newRouter } from '../http';

export const historyRoutes = newRouter();
