import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { commentRepository } from '../adapters/comment-repository.ts';
import { imageCatalog } from '../adapters/image-catalog.ts';
import { imageRepository } from '../adapters/image-repository.ts';
import { likeRepository } from '../adapters/like-repository.ts';
import { liveConnectionRepository } from '../adapters/live-connection-repository.ts';
import { profileRepository } from '../adapters/profile-repository.ts';
import { publicProfileRepository } from '../adapters/public-profile-repository.ts';
import { searchIndexRepository } from '../adapters/search-index-repository.ts';
import { uploadRepository } from '../adapters/upload-repository.ts';
import { once } from './once.ts';

/*
 * The composition of the functions: each dependency built from the configuration and the
 * clients, on first use and once per container, in one place. A module per group of
 * clients (this one: the table alone), so a function's bundle carries only the clients
 * of the groups it imports.
 */

export interface TableConfig {
  readonly TABLE_NAME: string;
}

const onTable = <T>(repository: (db: ReturnType<typeof dynamoDocumentClient>, tableName: string) => T) =>
  once((config: TableConfig) => repository(dynamoDocumentClient(), config.TABLE_NAME));

export const profiles = /* @__PURE__ */ onTable(profileRepository);
export const publicProfiles = /* @__PURE__ */ onTable(publicProfileRepository);
export const imageRecords = /* @__PURE__ */ onTable(imageRepository);
export const catalog = /* @__PURE__ */ onTable(imageCatalog);
export const searchIndex = /* @__PURE__ */ onTable(searchIndexRepository);
export const comments = /* @__PURE__ */ onTable(commentRepository);
export const likes = /* @__PURE__ */ onTable(likeRepository);
export const uploads = /* @__PURE__ */ onTable(uploadRepository);
export const liveConnections = /* @__PURE__ */ onTable(liveConnectionRepository);
