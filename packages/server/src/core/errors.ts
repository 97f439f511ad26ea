/** Typed errors: services throw these; the error handler maps them to status and body. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Invalid extends AppError {
  constructor(message: string, details?: unknown, code = 'INVALID') {
    super(400, code, message, details);
  }
}
export class Unauthenticated extends AppError {
  constructor(message = '请先登录', code = 'UNAUTHENTICATED') {
    super(401, code, message);
  }
}
export class Forbidden extends AppError {
  constructor(message = '没有权限执行此操作', code = 'FORBIDDEN') {
    super(403, code, message);
  }
}
export class NotFound extends AppError {
  constructor(message = '记录不存在') {
    super(404, 'NOT_FOUND', message);
  }
}
export class Conflict extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, 'CONFLICT', message, details);
  }
}
export class Locked extends AppError {
  constructor(message: string, details?: unknown) {
    super(423, 'ACCOUNT_LOCKED', message, details);
  }
}
export class TooManyRequests extends AppError {
  constructor(message = '请求过于频繁，请稍后再试', details?: unknown) {
    super(429, 'TOO_MANY_REQUESTS', message, details);
  }
}
