import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const optionalText = z.string().optional().transform((v) => v?.trim() || undefined);

/** Every setting comes from the environment; README "Configuration" documents each variable. */
const Env = z.object({
  PORT: int(8080, 0),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?|memory):\/\//, 'must be postgres://… (PostgreSQL) or memory:// (throw-away PGlite)')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATABASE_POOL_SIZE: int(10, 1),
  REDIS_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_DIST: z.string().optional(),
  DEMO_DATA: bool.default(true),
  DEMO_EVENTS: bool.default(true),
  REGION_DATA_DIR: z.string().optional(),
  GEO_DATA_DIR: optionalText,
  ADMIN_INITIAL_PASSWORD: z.string().optional(),
  COOKIE_SECURE: bool.default(false),
  SESSION_IDLE_MINUTES: int(30, 1),
  PASSWORD_MIN_LENGTH: int(8, 6),
  PASSWORD_MIN_CLASSES: int(3, 1).pipe(z.number().max(4)),
  PASSWORD_FORBID_USERNAME: bool.default(true),
  PASSWORD_MAX_FAILURES: int(5, 1),
  PASSWORD_LOCK_MINUTES: int(30, 1),
  PASSWORD_EXPIRY_DAYS: int(90, 0),
  PASSWORD_KDF_ITERATIONS: int(50_000, 1_000),
  FILES_MAX_MB: int(200, 1),
  FILES_STORAGE: z.enum(['local', 's3']).default('local'),
  S3_ENDPOINT: optionalText.pipe(z.url().optional()),
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: optionalText,
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  S3_FORCE_PATH_STYLE: bool.default(true),
  EVENT_REMINDER_SECONDS: int(60, 0),
  IOT_BROKER: z.enum(['embedded', 'external']).default('embedded'),
  IOT_MQTT_PORT: int(1883, 0),
  IOT_MQTT_HOST: z.string().default('0.0.0.0'),
  IOT_BROKER_URL: optionalText,
  IOT_BROKER_USERNAME: optionalText,
  IOT_BROKER_PASSWORD: optionalText,
  IOT_SHARE_GROUP: z.string().default('cityops'),
  IOT_COAP_PORT: int(5683, 0),
  IOT_SIGN_SKEW_SECONDS: int(600, 1),
  IOT_FLUSH_MS: int(50, 1),
  IOT_TRACE_DAYS: int(30, 1),
  IOT_HISTORY_DAYS: int(365, 1),
  IOT_COMMAND_TIMEOUT_SECONDS: int(10, 1),
  IOT_NODE_TIMEOUT_SECONDS: int(30, 3),
  IOT_PUBLIC_URL: optionalText.pipe(z.url().optional()),
  DEMO_IOT: bool.default(true),
  ACCESS_LOG: bool.default(true),
  SYSTEM_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  LOG_SERVICE_NAME: optionalText,
}).superRefine((e, ctx) => {
  if (e.IOT_BROKER === 'external' && !e.IOT_BROKER_URL) ctx.addIssue({ code: 'custom', path: ['IOT_BROKER_URL'], message: 'required when IOT_BROKER=external' });
  if (e.FILES_STORAGE !== 's3') return;
  for (const name of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
    if (!e[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when FILES_STORAGE=s3' });
  }
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    /** postgres://… for PostgreSQL; absent → PGlite under DATA_DIR/pglite; 'memory://' → throw-away PGlite. */
    databaseUrl: e.DATABASE_URL,
    /** Connections per node to PostgreSQL. */
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST,
    demoData: e.DEMO_DATA,
    /** With demo data: about 120 events of the last 13 months on a database without events. */
    demoEvents: e.DEMO_EVENTS,
    regionDataDir: e.REGION_DATA_DIR,
    /** Reference map data (DataV layout: datav-v3/<code>.json); with demo data, the area's outline is imported from it. */
    geoDataDir: e.GEO_DATA_DIR,
    adminInitialPassword: e.ADMIN_INITIAL_PASSWORD,
    cookieSecure: e.COOKIE_SECURE,
    security: {
      idleTimeoutMinutes: e.SESSION_IDLE_MINUTES,
      minLength: e.PASSWORD_MIN_LENGTH,
      minClasses: e.PASSWORD_MIN_CLASSES,
      forbidUsername: e.PASSWORD_FORBID_USERNAME,
      maxFailures: e.PASSWORD_MAX_FAILURES,
      lockMinutes: e.PASSWORD_LOCK_MINUTES,
      expiryDays: e.PASSWORD_EXPIRY_DAYS,
      kdfIterations: e.PASSWORD_KDF_ITERATIONS,
    },
    /** How often the 临期/超期 reminder sweep runs; 0 switches it off on this node. */
    eventReminderSeconds: e.EVENT_REMINDER_SECONDS,
    iot: {
      /** embedded: the platform's own MQTT broker (aedes); external: an MQTT cluster the platform consumes with shared subscriptions. */
      broker: e.IOT_BROKER,
      /** The embedded broker's TCP port; 0 switches it off. */
      mqttPort: e.IOT_MQTT_PORT,
      mqttHost: e.IOT_MQTT_HOST,
      brokerUrl: e.IOT_BROKER_URL,
      brokerUsername: e.IOT_BROKER_USERNAME,
      brokerPassword: e.IOT_BROKER_PASSWORD,
      /** The MQTT 5 shared-subscription group of the ingest nodes. */
      shareGroup: e.IOT_SHARE_GROUP,
      /** CoAP (UDP) port; 0 switches it off. */
      coapPort: e.IOT_COAP_PORT,
      signSkewSeconds: e.IOT_SIGN_SKEW_SECONDS,
      /** The ingest writer commits at least this often. */
      flushMs: e.IOT_FLUSH_MS,
      traceDays: e.IOT_TRACE_DAYS,
      historyDays: e.IOT_HISTORY_DAYS,
      commandTimeoutSeconds: e.IOT_COMMAND_TIMEOUT_SECONDS,
      /** A node not heard from for this long is gone: the devices its broker held are marked offline. */
      nodeTimeoutSeconds: e.IOT_NODE_TIMEOUT_SECONDS,
      /** Where devices reach the platform over HTTP(S) (firmware download links); absent: links are paths. */
      publicUrl: e.IOT_PUBLIC_URL?.replace(/\/+$/, ''),
      /** With demo data: demo products, devices of 崇州 and an in-process simulator reporting for them. */
      demo: e.DEMO_IOT,
    },
    logs: {
      /** 访问日志 of every API request. */
      access: e.ACCESS_LOG,
      /** The lowest level written to 系统日志. */
      systemLevel: e.SYSTEM_LOG_LEVEL,
      serviceName: e.LOG_SERVICE_NAME,
    },
    files: {
      maxMb: e.FILES_MAX_MB,
      storage: e.FILES_STORAGE,
      /** Complete when `storage` is 's3' (checked above). */
      s3: {
        endpoint: e.S3_ENDPOINT,
        region: e.S3_REGION,
        bucket: e.S3_BUCKET ?? '',
        accessKeyId: e.S3_ACCESS_KEY_ID ?? '',
        secretAccessKey: e.S3_SECRET_ACCESS_KEY ?? '',
        forcePathStyle: e.S3_FORCE_PATH_STYLE,
      },
    },
  };
}
