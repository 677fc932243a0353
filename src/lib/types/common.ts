// Shapes shared by every swarm object, as the Docker Engine API has them.

/** Optimistic-concurrency version: bumped on every write of the object. */
export interface Version {
  Index: number
}

/** Any stored object: an ID and a version. */
export interface StoredObject {
  ID: string
  Version: Version
  CreatedAt: string
  UpdatedAt: string
}

export type Labels = Record<string, string>
