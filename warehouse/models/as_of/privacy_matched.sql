-- one row per mentee, construct and pair of waves with both scores known at the as-of date that may enter an
-- aggregate: matched respondents are released in batches of the minimum group per cohort, level, construct and
-- waves, in the order their second answer became known
with

settings as (select min_group from as_of_date),

-- only the two waves a reader asks for (warehouse/read.py sets both), or all waves: fixed here rather than filtered
-- after the view, DuckDB reads only their scores (0.45 to 0.28 s at 100,000 pairs). The retrospective comparison
-- reads the pre scores too (below)
scores as (
    select *
    from fct_construct_scores
    where role = 'mentee' and score is not null
        and wave in (
            coalesce(getvariable('before_wave'), wave), coalesce(getvariable('after_wave'), wave),
            case when getvariable('before_wave') = 'retro_pre' then 'pre' end
        )
),

matched as (
    select
        before.participant_id,
        before.cohort_id,
        coalesce(before.level, 'unknown') as level,
        before.construct,
        before.wave as before_wave,
        after.wave as after_wave,
        before.score as before,
        after.score as after,
        before.scale_min,
        before.scale_max,
        greatest(before.known_on, after.known_on) as known_on
    from scores as before
    inner join scores as after using (participant_id, construct)
    where before.wave in ('pre', 'retro_pre') and after.wave in ('post', 'followup')
),

-- a cell's rows past its last full batch are its newest, cell size mod min_group of them: found as the cell's top
-- rows by when they became known, without sorting the cell
cells as (
    select
        cohort_id,
        level,
        construct,
        before_wave,
        after_wave,
        list_slice(
            max_by(participant_id, (known_on, participant_id), (select min_group - 1 from settings)),
            1,
            count(*) % (select min_group from settings)
        ) as held_back
    from matched
    group by all
),

held_back as (
    select unnest(held_back) as participant_id, construct, before_wave, after_wave
    from cells
),

released as (
    select matched.* exclude (known_on)
    from matched
    anti join held_back using (participant_id, construct, before_wave, after_wave)
),

-- the comparisons from pre and from the retrospective pre show the same after wave's answers (its mean, its items'
-- bars): a cell whose released people differ between them by 1 to 4 (one person's retrospective pre came late, so
-- each held back someone else) gave those people's answers away. Such a cell shows in the pre comparison only
conflicts as (
    select cohort_id, level, construct, after_wave
    from (
        select cohort_id, level, construct, after_wave, participant_id,
            bool_or(before_wave = 'pre') <> bool_or(before_wave = 'retro_pre') as in_one_only
        from released
        -- only the retrospective comparison (or every one) has cells to leave out: pre to post reads none of this
        where coalesce(getvariable('before_wave'), 'retro_pre') = 'retro_pre'
        group by all
    )
    group by all
    having count(*) filter (where in_one_only) between 1 and (select min_group - 1 from settings)
),

final as (
    select released.*
    from released
    anti join (select *, 'retro_pre' as before_wave from conflicts)
        using (cohort_id, level, construct, after_wave, before_wave)
    where before_wave = coalesce(getvariable('before_wave'), before_wave)
)

select * from final
