// Running a command in a container of an engine and collecting what it says
// (the network agent's host script runs this way, in its helper container).
import type Dockerode from 'dockerode'

const MAX_EXEC_OUTPUT = 1 << 20

/** Runs a command in a container; its exit code and combined output (its first MiB). */
export async function execIn(docker: Dockerode, container: string, cmd: string[]): Promise<{ code: number; output: string }> {
  const exec = await docker.getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true })
  const stream = await exec.start({ hijack: true, stdin: false })
  const output = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    // The script's output is for error messages: the first MAX_EXEC_OUTPUT bytes are plenty.
    const sink = { write: (c: Buffer) => { if (size < MAX_EXEC_OUTPUT) chunks.push(c); size += c.length; return true } }
    docker.modem.demuxStream(stream, sink as unknown as NodeJS.WritableStream, sink as unknown as NodeJS.WritableStream)
    stream.on('end', () => resolve(Buffer.concat(chunks).toString()))
    stream.on('error', reject)
  })
  const info = await exec.inspect()
  return { code: info.ExitCode ?? -1, output }
}
