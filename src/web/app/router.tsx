import { createBrowserRouter } from 'react-router';
import { routes } from './routes.tsx';

/** The browser's router over every page (the route tree itself is in routes.tsx, testable without a browser). */
export const router = createBrowserRouter(routes);
