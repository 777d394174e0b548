import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { maxPageSize, type Page, type PageRequest } from '../db/paging';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs implements PageRequest {
  @Field(() => Int, { defaultValue: 20, description: 'How many items to return (1 to 100).' })
  @Min(1)
  @Max(maxPageSize)
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

/** A Relay connection type (`<Name>Connection` with `<Name>Edge`) for a node type. */
export function ConnectionType<T extends object>(node: ClassType<T>, name = node.name) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class Connection implements Page<T> {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number;
  }
  return Connection;
}

/**
 * Query complexity of a connection field: its page size times what each node costs. A page size
 * over the maximum counts as the maximum: validation refuses it anyway, with a clearer message.
 */
export function connectionComplexity({ args, childComplexity }: { args: Record<string, unknown>; childComplexity: number }) {
  const first = typeof args.first === 'number' ? Math.min(args.first, maxPageSize) : 20;
  return 1 + first * childComplexity;
}
