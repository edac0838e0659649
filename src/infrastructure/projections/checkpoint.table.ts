import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Each projection's position in the log, written in the same transaction as its rows. */
@Entity('rm_checkpoints')
export class CheckpointRow {
  @PrimaryColumn('text') name!: string;
  @Column('bigint') position!: number;
}
