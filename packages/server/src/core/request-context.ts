import type { Principal } from './principal.js';

/** What a route may tell the operation log about itself. */
export interface AuditNote {
  type?: string;
  subjectType?: string;
  subjectName?: string;
  content?: string;
  /** Who acted, when there is no session yet (login). */
  username?: string;
  userId?: string;
  /** Not an operation by a person (device reports, broker hooks: traced by the IoT platform instead). */
  skip?: boolean;
}

/** A third-party system calling with an API key (第三方接口), as the guard and the access log see it. */
export interface ApiClient {
  id: string;
  keyId: string;
  name: string;
  scopes: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** A token came but its session had expired. */
    sessionExpired: boolean;
    audit?: AuditNote;
    /** The message of the error this request ended with, for the operation log. */
    failure?: string;
    /** Set by the API-key hook on /api/open requests whose key is valid. */
    apiClient?: ApiClient;
    /** Why the API key of the request was refused (Chinese), when it was. */
    apiKeyProblem?: string;
  }
}
