import { productEndpoints } from './product.js';
import { deviceEndpoints } from './device.js';
import { telemetryEndpoints } from './telemetry.js';
import { traceEndpoints } from './message.js';
import { overviewEndpoints } from './overview.js';
import { deviceAccessEndpoints } from './access.js';
import { connectionEndpoints } from './connection.js';
import { commandEndpoints } from './command.js';
import { otaEndpoints } from './ota.js';
import { ruleEndpoints } from './rule-endpoints.js';
import { alarmEndpoints } from './alarm.js';
import { apiKeyEndpoints } from './api-key.js';
import { openIotEndpoints } from './open-api.js';
import { platformLogEndpoints } from './logs.js';

/** Every endpoint of the IoT platform (物联感知). */
export const iotEndpoints = {
  ...productEndpoints, ...deviceEndpoints, ...telemetryEndpoints, ...traceEndpoints, ...overviewEndpoints,
  ...deviceAccessEndpoints, ...connectionEndpoints, ...commandEndpoints, ...otaEndpoints, ...ruleEndpoints,
  ...alarmEndpoints, ...apiKeyEndpoints, ...openIotEndpoints, ...platformLogEndpoints,
};
