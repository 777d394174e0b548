import { ApiError } from './client';

/** Anything a request threw, as an ApiError the page can show. */
export const asApiError = (error: unknown): ApiError => (error instanceof ApiError ? error : new ApiError({ message: String(error) }));
