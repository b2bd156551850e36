import { z } from 'zod';
import { isoTime, noQuery } from './common.js';
import { endpoint, type RequestBody, type ResponseBody } from './endpoint.js';
import { organisationNameField } from './fields.js';

export const organisationViewSchema = z.strictObject({ id: z.string(), name: z.string(), createdAt: isoTime });
export type OrganisationView = z.infer<typeof organisationViewSchema>;

const organisationResponseSchema = z.strictObject({ organisation: organisationViewSchema });

export const organisationApi = {
  /** GET /api/organisation — the caller's organisation. Any logged-in user. */
  get: endpoint({ method: 'GET', path: '/api/organisation', query: noQuery, status: 200, response: organisationResponseSchema }),
  /** PATCH /api/organisation — admin: renames it. */
  rename: endpoint({
    method: 'PATCH',
    path: '/api/organisation',
    query: noQuery,
    body: z.strictObject({ name: organisationNameField }),
    status: 200,
    response: organisationResponseSchema,
  }),
};

export type OrganisationResponse = ResponseBody<typeof organisationApi.get>;
export type UpdateOrganisationRequest = RequestBody<typeof organisationApi.rename>;
