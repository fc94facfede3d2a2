/** The flags every command that loads an API document shares (serve, explain). */
export const API_OPTIONS = {
  api: { type: 'string' },
  config: { type: 'string' },
  functions: { type: 'string', multiple: true },
  stage: { type: 'string' },
} as const
