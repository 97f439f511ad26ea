const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID; lets services answer 404 for a malformed id instead of a database error. */
export const isUuid = (id: string | null | undefined): id is string => !!id && UUID.test(id);
