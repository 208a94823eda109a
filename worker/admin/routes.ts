import { newRouter } from '../http';

export const adminRoutes = newRouter();
