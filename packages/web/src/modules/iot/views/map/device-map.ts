import type { DeviceStatus, DevicePoint } from '@cityops/contracts';
import type { ExpressionSpecification } from 'maplibre-gl';
import { STATUS_COLORS } from '../../components/labels';

/** The points as a GeoJSON source: one feature per device, its id and status as properties. */
export function pointsGeoJson(points: DevicePoint[]) {
  return {
    type: 'FeatureCollection' as const,
    features: points.map((p) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [p.lng, p.lat] },
      properties: { id: p.id, status: p.status },
    })),
  };
}

/** Circle colour by the feature's status. */
export const statusColor: ExpressionSpecification = [
  'match',
  ['get', 'status'],
  ...(Object.entries(STATUS_COLORS) as [DeviceStatus, string][]).flat(),
  '#909399',
] as unknown as ExpressionSpecification;

/** [west, south, east, north] around the points, or null when there are none. */
export function pointsBounds(points: DevicePoint[]): [number, number, number, number] | null {
  if (!points.length) return null;
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const p of points) {
    w = Math.min(w, p.lng);
    e = Math.max(e, p.lng);
    s = Math.min(s, p.lat);
    n = Math.max(n, p.lat);
  }
  // A single point (or a line of them) still needs an area to fit.
  const pad = 0.01;
  return [w - pad, s - pad, e + pad, n + pad];
}
