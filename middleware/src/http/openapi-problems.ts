import { ProblemSchema } from './schemas.js';

export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** The errors of every call that reads a request body. */
export const BODY_ERRORS = {
  413: problemResponse('The body is larger than 100 kB (`invalid_request`).'),
  415: problemResponse(
    'A non-empty body is not sent as JSON (`unsupported_media_type`).',
  ),
};
