export {OpenAiHttpClient, type OpenAiHttpClientOptions} from './openai-client.js';
export type {HttpTargetOptions} from './http-target.js';
export type {OpenAiApi} from './request-body.js';
export {listModels, type ServedModel, type ServerCallOptions, tokenize, type TokenizeMessage} from './server-info.js';
