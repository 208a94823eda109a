import { newRouter } from '../http';

export const peopleRoutes = newRouter();
