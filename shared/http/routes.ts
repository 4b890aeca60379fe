import type { RouteDefinition } from './route.ts';
import { routes as apiAuth } from './routes/api-auth.ts';
import { routes as apiCatalogue } from './routes/api-catalogue.ts';
import { routes as apiCharacters } from './routes/api-characters.ts';
import { routes as apiComments } from './routes/api-comments.ts';
import { routes as apiEdits } from './routes/api-edits.ts';
import { routes as apiGallery } from './routes/api-gallery.ts';
import { routes as apiGenerations } from './routes/api-generations.ts';
import { routes as apiImages } from './routes/api-images.ts';
import { routes as apiLive } from './routes/api-live.ts';
import { routes as apiMe } from './routes/api-me.ts';
import { routes as apiUploads } from './routes/api-uploads.ts';

/**
 * Every HTTP route of Easel. The CDK app creates API Gateway routes and their Lambda
 * integrations from this list, the local runtime serves it, and the OpenAPI document
 * is generated from it. Each function's routes are defined in routes/<function>.ts, which
 * its handler imports, so that its bundle holds no other function's schemas.
 */
export const routes = {
  getHealth: apiCatalogue.getHealth,
  getOpenApi: apiCatalogue.getOpenApi,
  getApiDocs: apiCatalogue.getApiDocs,
  getStyles: apiCatalogue.getStyles,
  getConfig: apiCatalogue.getConfig,
  getCharacterOptions: apiCharacters.getCharacterOptions,
  createCharacter: apiCharacters.createCharacter,
  listCharacters: apiCharacters.listCharacters,
  getCharacterStats: apiCharacters.getCharacterStats,
  getCharacter: apiCharacters.getCharacter,
  patchCharacter: apiCharacters.patchCharacter,
  createPortrait: apiCharacters.createPortrait,
  deleteCharacter: apiCharacters.deleteCharacter,
  createGeneration: apiGenerations.createGeneration,
  getJob: apiGenerations.getJob,
  listJobs: apiGenerations.listJobs,
  listImages: apiImages.listImages,
  patchImage: apiImages.patchImage,
  shareImage: apiImages.shareImage,
  unshareImage: apiImages.unshareImage,
  getGallery: apiGallery.getGallery,
  likeImage: apiImages.likeImage,
  unlikeImage: apiImages.unlikeImage,
  listMyLikes: apiImages.listMyLikes,
  getUser: apiGallery.getUser,
  listUserImages: apiGallery.listUserImages,
  getLinkPreview: apiGallery.getLinkPreview,
  downloadImage: apiImages.downloadImage,
  listComments: apiComments.listComments,
  addComment: apiComments.addComment,
  editComment: apiComments.editComment,
  deleteComment: apiComments.deleteComment,
  getImage: apiImages.getImage,
  createUpload: apiUploads.createUpload,
  addImage: apiUploads.addImage,
  deleteImage: apiImages.deleteImage,
  describeImage: apiImages.describeImage,
  createEdit: apiEdits.createEdit,
  signUp: apiAuth.signUp,
  confirmSignUp: apiAuth.confirmSignUp,
  resendCode: apiAuth.resendCode,
  logIn: apiAuth.logIn,
  answerMfaChallenge: apiAuth.answerMfaChallenge,
  refresh: apiAuth.refresh,
  logOut: apiAuth.logOut,
  forgotPassword: apiAuth.forgotPassword,
  resetPassword: apiAuth.resetPassword,
  getMe: apiMe.getMe,
  patchMe: apiMe.patchMe,
  deleteMe: apiMe.deleteMe,
  setUpMfa: apiMe.setUpMfa,
  verifyMfa: apiMe.verifyMfa,
  disableMfa: apiMe.disableMfa,
  createLiveTicket: apiLive.createLiveTicket,
  notFound: apiCatalogue.notFound,
  sharedLinkOtherMethods: apiCatalogue.sharedLinkOtherMethods,
} satisfies Record<string, RouteDefinition>;

export type RouteId = keyof typeof routes;

export const routeList: readonly RouteDefinition[] = Object.values(routes);

/**
 * The routes of the live-updates WebSocket API (`/api/live` behind CloudFront) and the
 * function serving each; the CDK app and the local runtime build them from this.
 */
export const liveSocketRoutes = {
  path: '/api/live',
  function: 'live-socket',
  routeKeys: ['$connect', '$disconnect', '$default'],
} as const;

/** The Lambda functions that serve HTTP routes, each with the routes it serves. */
export function apiFunctions(): Map<string, RouteDefinition[]> {
  const byFunction = new Map<string, RouteDefinition[]>();
  for (const route of routeList) {
    const list = byFunction.get(route.function) ?? [];
    list.push(route);
    byFunction.set(route.function, list);
  }
  return byFunction;
}
