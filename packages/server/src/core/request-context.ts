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
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** A token came but its session had expired. */
    sessionExpired: boolean;
    audit?: AuditNote;
    /** The message of the error this request ended with, for the operation log. */
    failure?: string;
  }
}
