/// <reference types="vite/client" />

import 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** Page title, shown in the breadcrumb and the browser tab. */
    title?: string;
    /** Reachable without logging in. */
    public?: boolean;
    /** Permission code (or any of several) the user must hold. */
    permission?: string | string[];
    /** Icon (Element Plus icon name) for breadcrumbs and shortcuts. */
    icon?: string;
  }
}
