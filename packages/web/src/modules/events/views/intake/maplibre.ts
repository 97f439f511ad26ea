import type * as MapLibre from 'maplibre-gl';
import libUrl from 'maplibre-gl/dist/maplibre-gl.mjs?url';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import cssUrl from 'maplibre-gl/dist/maplibre-gl.css?url';

let loading: Promise<typeof MapLibre> | null = null;

function addStylesheet(href: string): Promise<void> {
  if (document.querySelector(`link[href="${href}"]`)) return Promise.resolve();
  return new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    // A missing stylesheet only makes the controls plain; the map still works.
    link.onload = link.onerror = () => resolve();
    document.head.appendChild(link);
  });
}

/**
 * MapLibre, loaded when a map is first drawn. Its files are emitted as they are and imported at run
 * time, so that the library (about 1 MB) stays out of the shared vendor chunk every page loads.
 */
export function loadMapLibre(): Promise<typeof MapLibre> {
  loading ??= (async () => {
    await addStylesheet(cssUrl);
    const lib = (await import(/* @vite-ignore */ libUrl)) as typeof MapLibre;
    lib.setWorkerUrl(workerUrl);
    return lib;
  })().catch((e: unknown) => {
    loading = null;
    throw e;
  });
  return loading;
}
