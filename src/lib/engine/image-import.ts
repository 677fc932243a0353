// Giving an engine an image that no registry has: a root filesystem tar,
// imported (POST /images/create?fromSrc=-) under a content-addressed tag.
import type Dockerode from 'dockerode'
import { TswError } from '../errors/index.js'

/** An image as a root filesystem tar and the ref to import it as. */
export interface ImageArchive {
  /** repo:tag. */
  ref: string
  tag: string
  /** The root filesystem as a tar archive. */
  tar: Buffer
}

/** Makes sure the engine has `image`: imports its tar as repo:tag unless the engine has that ref already. */
export async function ensureImage(docker: Dockerode, image: ImageArchive): Promise<void> {
  try {
    await docker.getImage(image.ref).inspect()
    return
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err
  }
  const { Readable } = await import('node:stream')
  const stream = (await (docker.importImage(Readable.from([image.tar]) as never, { repo: image.ref.split(':')[0], tag: image.tag } as never) as unknown)) as NodeJS.ReadableStream
  await new Promise<void>((resolve, reject) => {
    // The progress is only looked at for an error: kept short whatever the engine sends.
    let failed = ''
    stream.on('data', (c: Buffer) => {
      const text = c.toString()
      if (!failed && /"error"/.test(text)) failed = text.slice(0, 300)
    })
    stream.on('end', () => (failed ? reject(new TswError(`import of ${image.ref} failed: ${failed}`, 500)) : resolve()))
    stream.on('error', reject)
  })
}
