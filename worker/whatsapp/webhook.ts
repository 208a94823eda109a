import { newRouter } from '../http';

export const webhookRoutes = newRouter();
