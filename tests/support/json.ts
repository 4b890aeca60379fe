/** A JSON answer read for assertions: tests look into bodies whose shape they are checking. */
// biome-ignore lint/suspicious/noExplicitAny: assertions do the type checking here.
export type Json = any;

export async function readJson(response: Response): Promise<Json> {
  return response.json();
}
