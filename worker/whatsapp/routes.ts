import { newRouter } from '../http';

export const whatsappRoutes = newRouter();
