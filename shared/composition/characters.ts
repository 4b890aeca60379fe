import { characterRepository } from '../adapters/character-repository.ts';
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { once } from './once.ts';
import type { TableConfig } from './table.ts';

/** The characters (a module of their own: their repository brings their attributes' rules). */
export const characters = /* @__PURE__ */ once((config: TableConfig) =>
  characterRepository(dynamoDocumentClient(), config.TABLE_NAME),
);
