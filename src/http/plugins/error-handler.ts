import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, errorBody } from '../errors.js';
import { providerErrorToHttp } from '../provider-error-mapping.js';
import { applySecurityHeaders, type SecurityHeaderOptions } from './security-headers.js';

/** Fastify's own client errors, renamed into our vocabulary. */
const FASTIFY_CODES: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', message: 'The request body is empty but JSON was declared.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'Send the request body as application/json.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_content_length', message: 'Content-Length does not match the body.' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'invalid_content_type', message: 'The Content-Type header is invalid.' },
};

/** Maps every thrown error to the one error shape; 5xx never reveal internals. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError | Error, request, reply) => {
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return reply.code(error.statusCode).send(errorBody(error.code, error.message, error.details));
    }
    const provider = providerErrorToHttp(error);
    if (provider !== undefined) {
      request.log.info({ code: provider.code, status: provider.statusCode }, 'provider problem answered');
      for (const [name, value] of Object.entries(provider.headers)) reply.header(name, value);
      return reply.code(provider.statusCode).send(errorBody(provider.code, provider.message));
    }
    // Any error may land here; only Fastify's own carry a `code` and a `statusCode`.
    const fastifyError: Partial<FastifyError> = error;
    const mapped = fastifyError.code === undefined ? undefined : FASTIFY_CODES[fastifyError.code];
    if (mapped !== undefined) {
      return reply.code(fastifyError.statusCode ?? 400).send(errorBody(mapped.code, mapped.message));
    }
    if (error instanceof SyntaxError || (fastifyError.statusCode !== undefined && fastifyError.statusCode < 500)) {
      const status = fastifyError.statusCode ?? 400;
      return reply.code(status).send(errorBody('bad_request', 'The request could not be understood.'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .send(errorBody('internal_error', `Something went wrong on our side. Quote request id ${request.id} when reporting it.`));
  });
}

/** Errors Fastify raises before routing (Fastify's `frameworkErrors` option), in our vocabulary. */
const FRAMEWORK_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url', message: 'The request URL is malformed (invalid percent-encoding).' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'url_too_long', message: 'A path segment of the request URL is too long.' },
};

/**
 * Fastify's `frameworkErrors` option: errors raised while routing (a malformed URL, an
 * over-long path parameter) answer in the one error shape, never echoing the URL. These run
 * outside the request lifecycle (no hooks), so the request id and security headers are set here.
 */
export function frameworkErrorHandler(options: SecurityHeaderOptions) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    reply.header('x-request-id', request.id);
    applySecurityHeaders(reply, options);
    const mapped = FRAMEWORK_CODES[error.code];
    if (mapped !== undefined) {
      request.log.info({ code: error.code }, 'request refused before routing');
      void reply.code(mapped.status).send(errorBody(mapped.code, mapped.message));
      return;
    }
    request.log.error({ err: error }, 'framework error');
    void reply
      .code(500)
      .send(errorBody('internal_error', `Something went wrong on our side. Quote request id ${request.id} when reporting it.`));
  };
}
